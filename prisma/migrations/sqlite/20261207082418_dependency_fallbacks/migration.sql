-- AlterTable
ALTER TABLE "dependencies" ADD COLUMN "fallbacks" JSONB;
