/** A link into the app for a mail: `<APP_URL>/o/<organisation><path>` (empty APP_URL: a path). */
export function appLink(appUrl: string, organizationId: string, path: string): string {
  return `${appUrl.replace(/\/+$/, '')}/o/${organizationId}${path}`;
}
