{{/* Resource name prefix: the release name, or "<release>-plumbline". */}}
{{- define "plumbline.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 52 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 52 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* Common labels. */}}
{{- define "plumbline.labels" -}}
app.kubernetes.io/part-of: plumbline
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{/* The ServiceAccount of the API and worker pods. */}}
{{- define "plumbline.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "plumbline.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* DATABASE_URL, REDIS_URL and the extra Secret variables, from existing Secrets. */}}
{{- define "plumbline.secretEnv" -}}
- name: DATABASE_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.database.urlSecret.name }}
      key: {{ .Values.database.urlSecret.key }}
- name: REDIS_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.urlSecret.name }}
      key: {{ .Values.redis.urlSecret.key }}
{{- range .Values.extraSecretEnv }}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secretName }}
      key: {{ .key }}
{{- end }}
{{- end -}}

{{/* METRICS_TOKEN from its Secret (API and worker). */}}
{{- define "plumbline.metricsTokenEnv" -}}
- name: METRICS_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .Values.metricsToken.secret.name }}
      key: {{ .Values.metricsToken.secret.key }}
{{- end -}}

{{/* Agentless scans: the credential key (from a Secret) and the egress bounds (API and worker). */}}
{{- define "plumbline.agentlessEnv" -}}
- name: PLUMBLINE_ENCRYPTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .Values.encryptionKey.secret.name }}
      key: {{ .Values.encryptionKey.secret.key }}
      optional: {{ .Values.encryptionKey.secret.optional }}
- name: AGENTLESS_ALLOWED_CIDRS
  value: {{ .Values.agentless.allowedCidrs | quote }}
- name: AGENTLESS_CONNECT_TIMEOUT_MS
  value: {{ .Values.agentless.connectTimeoutMs | quote }}
- name: AGENTLESS_REQUEST_TIMEOUT_MS
  value: {{ .Values.agentless.requestTimeoutMs | quote }}
- name: AGENTLESS_SCAN_TIMEOUT_MS
  value: {{ .Values.agentless.scanTimeoutMs | quote }}
- name: AGENTLESS_MAX_RESPONSE_MB
  value: {{ .Values.agentless.maxResponseMb | quote }}
{{- end -}}

{{/* Mail: SMTP_URL from its Secret (optional), the sender and the address of links (API and worker). */}}
{{- define "plumbline.mailEnv" -}}
- name: SMTP_URL
  valueFrom:
    secretKeyRef:
      name: {{ .Values.mail.smtpSecret.name }}
      key: {{ .Values.mail.smtpSecret.key }}
      optional: {{ .Values.mail.smtpSecret.optional }}
- name: MAIL_FROM
  value: {{ .Values.mail.from | quote }}
- name: APP_URL
  value: {{ .Values.mail.appUrl | quote }}
{{- end -}}
