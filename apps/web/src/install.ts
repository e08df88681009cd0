/**
 * The scanner install commands shown when a token is created (and, with a placeholder, on the
 * empty overview). They match infra/scanner: the Helm chart's values `clusterName`, `apiUrl`
 * (the full POST /v1/snapshots URL), `createNamespace`, `runOnInstall`, and the Secret
 * `plumbline-scanner-token` with key `token` that the chart only references.
 */

export const HELM_CHART_PATH = 'infra/scanner/helm/plumbline-scanner';
export const TOKEN_PLACEHOLDER = '<scanner-token>';

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quote a value for a POSIX shell (single quotes; a quote inside becomes '\''). */
export function shellQuote(value: string): string {
  if (value !== '' && SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The API origin without a trailing slash: "https://plumbline.example.com". */
export function apiOrigin(url: string): string {
  return url.replace(/\/+$/, '');
}

export interface InstallInput {
  /** The scanner token (plb_...), or TOKEN_PLACEHOLDER where it is not known. */
  token: string;
  /** Where the API is reached from the cluster, e.g. https://plumbline.example.com. */
  apiUrl: string;
  clusterName: string;
}

/** In-cluster install with Helm: namespace, token Secret, chart with the values filled in. */
export function helmInstallCommand({ token, apiUrl, clusterName }: InstallInput): string {
  const tokenArg = token === TOKEN_PLACEHOLDER ? token : shellQuote(token);
  return [
    'kubectl create namespace plumbline',
    `kubectl -n plumbline create secret generic plumbline-scanner-token --from-literal=token=${tokenArg}`,
    `helm install plumbline-scanner ${HELM_CHART_PATH} \\`,
    `  --namespace plumbline \\`,
    `  --set clusterName=${shellQuote(clusterName || 'my-cluster')} \\`,
    `  --set apiUrl=${shellQuote(`${apiOrigin(apiUrl)}/v1/snapshots`)} \\`,
    `  --set createNamespace=false \\`,
    `  --set runOnInstall=true`,
  ].join('\n');
}

/**
 * One scan from a workstation with the current kubeconfig context (read-only), run from a
 * Plumbline checkout (after `npm run demo` or `npm run build`). `npx --offline` runs the
 * checkout's own scanner and never asks the public npm registry for a package of that name:
 * without the checkout it fails (ENOTCACHED) instead of fetching someone else's code with the
 * token in its environment.
 */
export function cliScanCommand({ token, apiUrl, clusterName }: InstallInput): string {
  const tokenArg = token === TOKEN_PLACEHOLDER ? token : shellQuote(token);
  return [
    '# in a Plumbline checkout, after npm run demo (or npm run build)',
    `PLUMBLINE_SCANNER_TOKEN=${tokenArg} \\`,
    `  npx --offline plumbline-scanner scan --cluster-name ${shellQuote(clusterName || 'my-cluster')} \\`,
    `  --upload ${shellQuote(apiOrigin(apiUrl))}`,
  ].join('\n');
}
