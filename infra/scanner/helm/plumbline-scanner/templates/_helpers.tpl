{{/* Common labels. */}}
{{- define "plumbline-scanner.labels" -}}
app.kubernetes.io/name: plumbline-scanner
app.kubernetes.io/part-of: plumbline
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{/* The scan pod, shared by the CronJob and the optional install-time Job. */}}
{{- define "plumbline-scanner.podSpec" -}}
serviceAccountName: plumbline-scanner
restartPolicy: Never
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
securityContext:
  runAsNonRoot: true
  runAsUser: 65532
  runAsGroup: 65532
  fsGroup: 65532
  seccompProfile:
    type: RuntimeDefault
containers:
  - name: scanner
    image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
    imagePullPolicy: {{ .Values.image.pullPolicy }}
    args:
      - scan
      - --in-cluster
      - --cluster-name=$(CLUSTER_NAME)
      - --upload=$(PLUMBLINE_API_URL)
      - --token-file=/var/run/secrets/plumbline/token
      - --fingerprint-key-file=/var/run/secrets/plumbline-fingerprint/key
      - --page-size={{ .Values.pageSize }}
      - --qps={{ .Values.qps }}
      - --burst={{ .Values.burst }}
      {{- if .Values.secretMetadata.enabled }}
      - --include-secret-metadata
      {{- end }}
    env:
      - name: CLUSTER_NAME
        valueFrom:
          configMapKeyRef: { name: plumbline-scanner, key: CLUSTER_NAME }
      - name: PLUMBLINE_API_URL
        valueFrom:
          configMapKeyRef: { name: plumbline-scanner, key: PLUMBLINE_API_URL }
      - name: NODE_OPTIONS
        value: --max-old-space-size=384
    resources:
      {{- toYaml .Values.resources | nindent 6 }}
    securityContext:
      allowPrivilegeEscalation: false
      readOnlyRootFilesystem: true
      runAsNonRoot: true
      capabilities:
        drop: [ALL]
    volumeMounts:
      - name: token
        mountPath: /var/run/secrets/plumbline
        readOnly: true
      - name: fingerprint-key
        mountPath: /var/run/secrets/plumbline-fingerprint
        readOnly: true
      - name: tmp
        mountPath: /tmp
volumes:
  - name: token
    secret:
      secretName: {{ .Values.tokenSecret.name }}
      defaultMode: 288
      items:
        - key: {{ .Values.tokenSecret.key }}
          path: token
  - name: fingerprint-key
    secret:
      secretName: {{ .Values.fingerprintKey.secretName }}
      defaultMode: 288
      items:
        - key: key
          path: key
  - name: tmp
    emptyDir:
      sizeLimit: 64Mi
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}
