{{/* The chart's name, and the release's prefix of every object name (at most 40 characters,
leaving room for the part's name within Kubernetes' 63). */}}
{{- define "mcp-mesh.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 30 | trimSuffix "-" -}}
{{- end -}}

{{- define "mcp-mesh.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Labels of every object; `component` (registry, postgresql, redis, agent) and `agent` tell
the parts apart. Call with (dict "root" $ "component" "registry" ["agent" name]). */}}
{{- define "mcp-mesh.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: mcp-mesh
{{ include "mcp-mesh.selectorLabels" . }}
{{- end -}}

{{- define "mcp-mesh.selectorLabels" -}}
app.kubernetes.io/name: {{ include "mcp-mesh.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- with .agent }}
mcp-mesh.io/agent: {{ . }}
{{- end }}
{{- end -}}

{{/* repository:tag, the tag defaulting to the chart's appVersion. */}}
{{- define "mcp-mesh.image" -}}
{{- printf "%s:%s" .image.repository (default .root.Chart.AppVersion .image.tag) -}}
{{- end -}}

{{/* The images run as user 1000 (their `node` user) with nothing to escalate to. */}}
{{- define "mcp-mesh.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
fsGroup: 1000
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "mcp-mesh.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}

{{- define "mcp-mesh.registryName" -}}
{{- printf "%s-registry" (include "mcp-mesh.fullname" .) -}}
{{- end -}}

{{/* What the agents call the registry: its Service. */}}
{{- define "mcp-mesh.registryUrl" -}}
{{- printf "%s://%s:%d" (include "mcp-mesh.scheme" .) (include "mcp-mesh.registryName" .) (int .Values.registry.service.port) -}}
{{- end -}}

{{/* https once tls.secretName is set (every process serves and calls HTTPS), else http. */}}
{{- define "mcp-mesh.scheme" -}}
{{- if .Values.tls.secretName -}}https{{- else -}}http{{- end -}}
{{- end -}}

{{/* The TLS and trust-key variables the registry and every agent get, and their files. */}}
{{- define "mcp-mesh.securityEnv" -}}
{{- if .Values.tls.secretName }}
- name: MCP_MESH_TLS_CERT
  value: /etc/mesh-tls/tls.crt
- name: MCP_MESH_TLS_KEY
  value: /etc/mesh-tls/tls.key
{{- if .Values.tls.caKey }}
- name: MCP_MESH_TLS_CA
  value: {{ printf "/etc/mesh-tls/%s" .Values.tls.caKey | quote }}
{{- end }}
{{- end }}
{{- if .Values.trust.publicKeyConfigMap }}
- name: MCP_MESH_TRUST_KEY
  value: {{ printf "/etc/mesh-trust/%s" .Values.trust.publicKeyKey | quote }}
{{- end }}
{{- end -}}

{{- define "mcp-mesh.securityMounts" -}}
{{- if .Values.tls.secretName }}
- name: mesh-tls
  mountPath: /etc/mesh-tls
  readOnly: true
{{- end }}
{{- if .Values.trust.publicKeyConfigMap }}
- name: mesh-trust
  mountPath: /etc/mesh-trust
  readOnly: true
{{- end }}
{{- end -}}

{{- define "mcp-mesh.securityVolumes" -}}
{{- if .Values.tls.secretName }}
- name: mesh-tls
  secret:
    secretName: {{ .Values.tls.secretName }}
{{- end }}
{{- if .Values.trust.publicKeyConfigMap }}
- name: mesh-trust
  configMap:
    name: {{ .Values.trust.publicKeyConfigMap }}
{{- end }}
{{- end -}}

{{/* The Secret and key holding DATABASE_URL: yours, or the release's own. */}}
{{- define "mcp-mesh.databaseSecretName" -}}
{{- if and (not .Values.postgresql.enabled) .Values.externalDatabase.existingSecret -}}
{{- .Values.externalDatabase.existingSecret -}}
{{- else -}}
{{- printf "%s-database" (include "mcp-mesh.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "mcp-mesh.databaseSecretKey" -}}
{{- if and (not .Values.postgresql.enabled) .Values.externalDatabase.existingSecret -}}
{{- .Values.externalDatabase.existingSecretKey -}}
{{- else -}}
DATABASE_URL
{{- end -}}
{{- end -}}

{{- define "mcp-mesh.databaseUrlEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ include "mcp-mesh.databaseSecretName" . }}
      key: {{ include "mcp-mesh.databaseSecretKey" . }}
{{- end -}}

{{- define "mcp-mesh.postgresqlName" -}}
{{- printf "%s-postgresql" (include "mcp-mesh.fullname" .) -}}
{{- end -}}

{{- define "mcp-mesh.redisName" -}}
{{- printf "%s-redis" (include "mcp-mesh.fullname" .) -}}
{{- end -}}

{{/* REDIS_URL of the agents: the bundled Redis, yours, or `off` (ownership in memory). */}}
{{- define "mcp-mesh.redisUrl" -}}
{{- if .Values.redis.enabled -}}
{{- printf "redis://%s:6379" (include "mcp-mesh.redisName" .) -}}
{{- else -}}
{{- default "off" .Values.redis.url -}}
{{- end -}}
{{- end -}}

{{/* A secret value kept across upgrades: the one already in the cluster, else a new one. */}}
{{- define "mcp-mesh.keptSecret" -}}
{{- $existing := lookup "v1" "Secret" .namespace .name -}}
{{- if and $existing $existing.data (hasKey $existing.data .key) -}}
{{- index $existing.data .key | b64dec -}}
{{- else -}}
{{- randAlphaNum .length -}}
{{- end -}}
{{- end -}}

{{/* Deep-merges .source into .target (a map, changed in place): unlike mergeOverwrite, a
false, 0 or "" in an agent's entry does override agentDefaults. */}}
{{- define "mcp-mesh.mergeInto" -}}
{{- $target := .target -}}
{{- range $key, $value := .source -}}
{{- if and (kindIs "map" $value) (kindIs "map" (get $target $key)) -}}
{{- include "mcp-mesh.mergeInto" (dict "target" (get $target $key) "source" $value) -}}
{{- else -}}
{{- $_ := set $target $key $value -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The object name of an agent's Deployment and Service. */}}
{{- define "mcp-mesh.agentName" -}}
{{- printf "%s-%s" (include "mcp-mesh.fullname" .root) .agent.name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
