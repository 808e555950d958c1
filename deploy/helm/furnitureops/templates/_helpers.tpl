{{- define "furnitureops.name" -}}{{ .Release.Name }}{{- end -}}

{{- define "furnitureops.labels" -}}
app.kubernetes.io/name: furnitureops
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "furnitureops.image" -}}{{ .repository }}:{{ .tag }}{{- end -}}

{{- define "furnitureops.tag" -}}{{ .Values.image.tag | default .Chart.AppVersion }}{{- end -}}

{{- define "furnitureops.postgresSecret" -}}{{ .Values.postgres.existingSecret | default (printf "%s-postgres" .Release.Name) }}{{- end -}}

{{- define "furnitureops.authSecret" -}}{{ .Values.auth.existingSecret | default (printf "%s-auth" .Release.Name) }}{{- end -}}

{{/* Environment shared by silos and the API: the application role's connection and the cluster identity. */}}
{{- define "furnitureops.commonEnv" -}}
- name: ConnectionStrings__Postgres
  valueFrom:
    secretKeyRef: { name: {{ include "furnitureops.postgresSecret" . }}, key: postgres-app }
- name: Orleans__ClusterId
  value: {{ .Values.cluster.clusterId | quote }}
- name: Orleans__ServiceId
  value: {{ .Values.cluster.serviceId | quote }}
{{- end -}}
