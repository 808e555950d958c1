{{/* Labels on every object of the release. */}}
{{- define "furnitureops.labels" -}}
app.kubernetes.io/name: furnitureops
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | quote }}
{{- end -}}

{{/* Selector of one component's pods; call with (dict "root" $ "component" "silo"). */}}
{{- define "furnitureops.selector" -}}
app.kubernetes.io/name: furnitureops
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "furnitureops.tag" -}}{{ .Values.image.tag | default .Chart.AppVersion }}{{- end -}}

{{/* The silo image also runs the migrations, so the Job always carries the schema of the silos it precedes. */}}
{{- define "furnitureops.siloImage" -}}{{ printf "%s:%s" .Values.image.silo (.Values.image.siloTag | default (include "furnitureops.tag" .)) }}{{- end -}}

{{- define "furnitureops.apiImage" -}}{{ printf "%s:%s" .Values.image.api (.Values.image.apiTag | default (include "furnitureops.tag" .)) }}{{- end -}}

{{/* Secret names: an existing Secret when one is named, else the one this chart creates. */}}
{{- define "furnitureops.postgresSecret" -}}{{ .Values.postgres.existingSecret | default (printf "%s-postgres" .Release.Name) }}{{- end -}}

{{- define "furnitureops.postgresOwnerSecret" -}}
{{- .Values.postgres.existingOwnerSecret | default .Values.postgres.existingSecret | default (printf "%s-postgres-owner" .Release.Name) -}}
{{- end -}}

{{- define "furnitureops.authSecret" -}}{{ .Values.auth.existingSecret | default (printf "%s-auth" .Release.Name) }}{{- end -}}

{{- define "furnitureops.hmacSecret" -}}{{ .Values.hmac.existingSecret | default (printf "%s-hmac" .Release.Name) }}{{- end -}}

{{- define "furnitureops.dashboardSecret" -}}{{ .Values.dashboard.existingSecret | default (printf "%s-dashboard" .Release.Name) }}{{- end -}}

{{- define "furnitureops.dashboardEnabled" -}}{{ if or .Values.dashboard.existingSecret .Values.dashboard.username }}true{{ end }}{{- end -}}

{{/* Whole seconds as a .NET TimeSpan ("00:01:05"). */}}
{{- define "furnitureops.timespan" -}}
{{- $s := int . -}}
{{- printf "%02d:%02d:%02d" (div $s 3600) (div (mod $s 3600) 60) (mod $s 60) -}}
{{- end -}}

{{/*
Configuration sections as ASP.NET Core environment variables: {Pos: {MaxPendingEvents: 500}} becomes
Pos__MaxPendingEvents=500, list items are indexed (Loyalty__Tiers__0__Name). Null leaves are skipped, so the
code's own (validated) default applies. Call with (dict "prefix" "" "values" $map).
*/}}
{{- define "furnitureops.settingsEnv" -}}
{{- range $key, $value := .values }}
{{- $name := printf "%s%s" $.prefix $key }}
{{- if kindIs "map" $value }}
{{- include "furnitureops.settingsEnv" (dict "prefix" (printf "%s__" $name) "values" $value) }}
{{- else if kindIs "slice" $value }}
{{- $indexed := dict }}
{{- range $index, $item := $value }}{{ $_ := set $indexed (toString $index) $item }}{{ end }}
{{- include "furnitureops.settingsEnv" (dict "prefix" (printf "%s__" $name) "values" $indexed) }}
{{- else if not (kindIs "invalid" $value) }}
- name: {{ $name }}
{{- if and (kindIs "float64" $value) (eq $value (floor $value)) }}
  value: {{ int64 $value | toString | quote }}
{{- else }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Sections that carry secrets or that the chart sets itself must not come in through settings. */}}
{{- define "furnitureops.checkSettings" -}}
{{- range $section := list "ConnectionStrings" "Dashboard" "Shutdown" }}
{{- if hasKey $.settings $section }}
{{- fail (printf "%s.settings.%s: set through the chart's own values (secrets, shutdown), not settings" $.component $section) }}
{{- end }}
{{- end }}
{{- if and (hasKey .settings "Orleans") (kindIs "map" .settings.Orleans) }}
{{- range $key := list "ClusterId" "ServiceId" "AdvertisedIP" "SiloPort" "GatewayPort" }}
{{- if hasKey $.settings.Orleans $key }}{{ fail (printf "%s.settings.Orleans.%s: set by the chart (cluster.*, silo.ports.*)" $.component $key) }}{{ end }}
{{- end }}
{{- end }}
{{- if and (hasKey .settings "Auth") (kindIs "map" .settings.Auth) }}
{{- if hasKey .settings.Auth "SigningKey" }}{{ fail (printf "%s.settings.Auth.SigningKey: a secret; use auth.signingKey or auth.existingSecret" .component) }}{{ end }}
{{- end }}
{{- if and (hasKey .settings "Hmac") (kindIs "map" .settings.Hmac) }}
{{- if hasKey .settings.Hmac "Keys" }}{{ fail (printf "%s.settings.Hmac.Keys: secrets; use hmac.keys" .component) }}{{ end }}
{{- end }}
{{- end -}}

{{/*
Environment both hosts share: pod identity (downward API), environment name, HTTP port, the application
role's connection, the cluster identity, logging, telemetry and shutdown timing.
Call with (dict "root" $ "component" "silo" "values" .Values.silo "port" 8080).
*/}}
{{- define "furnitureops.commonEnv" -}}
{{- $root := .root -}}
{{- $shutdown := .values.shutdown -}}
{{- if le (int .values.terminationGracePeriodSeconds) (add $shutdown.drainTimeoutSeconds $shutdown.readinessDelaySeconds 4 | int) }}
{{- fail (printf "%s.terminationGracePeriodSeconds must exceed shutdown.drainTimeoutSeconds + shutdown.readinessDelaySeconds by at least 5 s, or the kubelet kills the drain" .component) }}
{{- end -}}
- name: POD_NAME
  valueFrom: { fieldRef: { fieldPath: metadata.name } }
- name: POD_NAMESPACE
  valueFrom: { fieldRef: { fieldPath: metadata.namespace } }
- name: ASPNETCORE_ENVIRONMENT
  value: {{ $root.Values.environment | quote }}
- name: ASPNETCORE_HTTP_PORTS
  value: {{ .port | quote }}
- name: ConnectionStrings__Postgres
  valueFrom:
    secretKeyRef: { name: {{ include "furnitureops.postgresSecret" $root }}, key: postgres-app }
- name: Orleans__ClusterId
  value: {{ $root.Values.cluster.clusterId | quote }}
- name: Orleans__ServiceId
  value: {{ $root.Values.cluster.serviceId | quote }}
- name: Shutdown__DrainTimeout
  value: {{ include "furnitureops.timespan" $shutdown.drainTimeoutSeconds | quote }}
- name: Shutdown__ReadinessDelay
  value: {{ include "furnitureops.timespan" $shutdown.readinessDelaySeconds | quote }}
{{- with $root.Values.logging.level }}
- name: Serilog__MinimumLevel__Default
  value: {{ . | quote }}
{{- end }}
{{- range $namespace, $level := $root.Values.logging.overrides }}
- name: Serilog__MinimumLevel__Override__{{ $namespace }}
  value: {{ $level | quote }}
{{- end }}
- name: OTEL_RESOURCE_ATTRIBUTES
  value: "k8s.pod.name=$(POD_NAME),k8s.namespace.name=$(POD_NAMESPACE)"
{{- with $root.Values.telemetry.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ . | quote }}
{{- with $root.Values.telemetry.otlpProtocol }}
- name: OTEL_EXPORTER_OTLP_PROTOCOL
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- include "furnitureops.checkSettings" (dict "component" .component "settings" (.values.settings | default dict)) }}
{{- include "furnitureops.settingsEnv" (dict "prefix" "" "values" (.values.settings | default dict)) }}
{{- with .values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Pod-level settings both Deployments share. Call with (dict "root" $ "component" "silo" "values" .Values.silo). */}}
{{- define "furnitureops.podSpec" -}}
{{- $root := .root -}}
enableServiceLinks: false
automountServiceAccountToken: false
{{- with $root.Values.serviceAccountName }}
serviceAccountName: {{ . }}
{{- end }}
{{- with $root.Values.image.pullSecrets }}
imagePullSecrets: {{- toYaml . | nindent 2 }}
{{- end }}
terminationGracePeriodSeconds: {{ .values.terminationGracePeriodSeconds }}
securityContext: {{- toYaml $root.Values.podSecurityContext | nindent 2 }}
{{- with .values.nodeSelector }}
nodeSelector: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations: {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity: {{- toYaml . | nindent 2 }}
{{- end }}
{{- if .values.spreadAcrossNodes }}
topologySpreadConstraints:
  - maxSkew: 1
    topologyKey: kubernetes.io/hostname
    whenUnsatisfiable: ScheduleAnyway
    labelSelector:
      matchLabels: {{- include "furnitureops.selector" (dict "root" $root "component" .component) | nindent 8 }}
{{- end }}
volumes:
  # The only writable path: the runtime's diagnostics socket lives in /tmp.
  - name: tmp
    emptyDir: { sizeLimit: 64Mi }
{{- end -}}

{{/* Pod annotations: secret checksums (a changed chart-managed secret rolls the pods) and optional scrape hints. */}}
{{- define "furnitureops.podAnnotations" -}}
checksum/secrets: {{ include (print .root.Template.BasePath "/secrets.yaml") .root | sha256sum }}
{{- if .root.Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ .port | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- with .values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}
