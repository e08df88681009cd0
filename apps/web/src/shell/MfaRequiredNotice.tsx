import type { MeResponse } from '@plumbline/contracts';
import { Link } from '../router/Link';
import { paths } from '../router/routes';

/**
 * A banner for a member of an organisation requiring two-factor authentication who has not set
 * it up (the API answers 403 on the organisation's routes until then), linking to the set-up.
 */
export function MfaRequiredNotice({ me, orgId }: { me: MeResponse; orgId: string | null }) {
  if (me.user.mfaEnabled !== false || !orgId) return null;
  const org = me.organizations.find((o) => o.id === orgId);
  if (!org?.mfaRequired) return null;
  return (
    <div className="notice" role="alert" data-testid="mfa-required-notice">
      <p>
        {org.name} requires two-factor authentication: set it up in your account settings to see its
        data. <Link to={paths.settings(org.id, 'security')}>Set up two-factor authentication</Link>
      </p>
    </div>
  );
}
