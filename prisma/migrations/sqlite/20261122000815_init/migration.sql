-- CreateTable
CREATE TABLE "agents" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "agent_type" TEXT NOT NULL DEFAULT 'mcp_agent',
    "version" TEXT NOT NULL DEFAULT '1.0.0',
    "description" TEXT,
    "namespace" TEXT NOT NULL DEFAULT 'default',
    "http_host" TEXT NOT NULL,
    "http_port" INTEGER NOT NULL,
    "runtime" TEXT NOT NULL DEFAULT 'typescript',
    "status" TEXT NOT NULL DEFAULT 'healthy',
    "registration_hash" TEXT NOT NULL,
    "last_seen_at" DATETIME NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "tools" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "agent_id" TEXT NOT NULL,
    "function_name" TEXT NOT NULL,
    "capability" TEXT NOT NULL,
    "version" TEXT NOT NULL DEFAULT '1.0.0',
    "tags" JSONB NOT NULL,
    "description" TEXT,
    "input_schema" JSONB,
    "output_schema" JSONB,
    "kwargs" JSONB NOT NULL,
    CONSTRAINT "tools_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "agents" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "dependencies" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "tool_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "capability" TEXT NOT NULL,
    "version_range" TEXT NOT NULL DEFAULT '*',
    "tags" JSONB NOT NULL,
    "namespace" TEXT,
    "required" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "dependencies_tool_id_fkey" FOREIGN KEY ("tool_id") REFERENCES "tools" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "events" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "event_type" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "agent_name" TEXT,
    "function_name" TEXT,
    "data" JSONB NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "agents_name_idx" ON "agents"("name");

-- CreateIndex
CREATE INDEX "agents_status_idx" ON "agents"("status");

-- CreateIndex
CREATE INDEX "tools_capability_idx" ON "tools"("capability");

-- CreateIndex
CREATE UNIQUE INDEX "tools_agent_id_function_name_key" ON "tools"("agent_id", "function_name");

-- CreateIndex
CREATE INDEX "dependencies_capability_idx" ON "dependencies"("capability");

-- CreateIndex
CREATE UNIQUE INDEX "dependencies_tool_id_position_key" ON "dependencies"("tool_id", "position");

-- CreateIndex
CREATE INDEX "events_created_at_idx" ON "events"("created_at");

-- CreateIndex
CREATE INDEX "events_agent_id_idx" ON "events"("agent_id");

-- CreateIndex
CREATE INDEX "events_event_type_idx" ON "events"("event_type");
