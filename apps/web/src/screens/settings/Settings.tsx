import type { ReactNode } from 'react';
import { NavLink } from '../../router/Link';
import { paths, type SettingsTab } from '../../router/routes';
import { useOrg } from '../../session/org';
import { PageTitle } from '../../shell/page';
import { AgentlessTab } from './AgentlessTab';
import { AuditTab } from './AuditTab';
import { EvidenceTab } from './EvidenceTab';
import { InvitesTab } from './InvitesTab';
import { MembersTab } from './MembersTab';
import { NotificationsTab } from './NotificationsTab';
import { RisksTab } from './RisksTab';
import { SecurityTab } from './SecurityTab';
import { SsoTab } from './SsoTab';
import { TokensTab } from './TokensTab';

const TABS: { id: SettingsTab; label: string }[] = [
  { id: 'members', label: 'Members and roles' },
  { id: 'invites', label: 'Invites' },
  { id: 'tokens', label: 'Scanner tokens' },
  { id: 'audit', label: 'Audit log' },
  { id: 'evidence', label: 'Evidence uploads' },
  { id: 'agentless', label: 'Agentless clusters' },
  { id: 'risks', label: 'Risk acceptances' },
  { id: 'security', label: 'Security' },
  { id: 'sso', label: 'Single sign-on' },
  { id: 'notifications', label: 'Notifications' },
];

function tabContent(tab: SettingsTab): ReactNode {
  switch (tab) {
    case 'members':
      return <MembersTab />;
    case 'invites':
      return <InvitesTab />;
    case 'tokens':
      return <TokensTab />;
    case 'audit':
      return <AuditTab />;
    case 'evidence':
      return <EvidenceTab />;
    case 'agentless':
      return <AgentlessTab />;
    case 'risks':
      return <RisksTab />;
    case 'security':
      return <SecurityTab />;
    case 'sso':
      return <SsoTab />;
    case 'notifications':
      return <NotificationsTab />;
  }
}

export default function Settings({ tab }: { tab: SettingsTab }) {
  const org = useOrg();
  const label = TABS.find((t) => t.id === tab)?.label ?? 'Settings';
  return (
    <>
      <PageTitle title={`${label} · Settings · ${org.name}`}>Settings</PageTitle>
      <nav className="subnav" aria-label="Settings sections">
        <ul>
          {TABS.map((t) => (
            <li key={t.id}>
              <NavLink to={paths.settings(org.id, t.id)}>{t.label}</NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <section className="settings-section" aria-labelledby="settings-section-title">
        <h2 id="settings-section-title">{label}</h2>
        {tabContent(tab)}
      </section>
    </>
  );
}
