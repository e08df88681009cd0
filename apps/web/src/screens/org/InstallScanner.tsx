import { CommandBlock } from '../../components/CommandBlock';
import { helmInstallCommand, TOKEN_PLACEHOLDER } from '../../install';
import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { useCan, useOrg } from '../../session/org';

/** How to get the first cluster in: create a scanner token, install the scanner. */
export function InstallScannerSteps() {
  const org = useOrg();
  const isAdmin = useCan('admin');
  return (
    <ol className="steps">
      <li>
        {isAdmin ? (
          <>
            <Link to={paths.settings(org.id, 'tokens')}>Create a scanner token</Link> in Settings.
            It is shown once, with this command filled in for you.
          </>
        ) : (
          <>Ask an admin of {org.name} for a scanner token (admins create them in Settings).</>
        )}
      </li>
      <li>
        Install the read-only scanner in the cluster with Helm (it scans daily and once right away):
        <CommandBlock
          label="Install command (Helm)"
          command={helmInstallCommand({
            token: TOKEN_PLACEHOLDER,
            apiUrl: window.location.origin,
            clusterName: 'my-cluster',
          })}
        />
      </li>
      <li>The cluster appears here a minute after its first scan is uploaded and analysed.</li>
    </ol>
  );
}
