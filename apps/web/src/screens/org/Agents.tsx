import { useOrg } from '../../session/org';
import { PageTitle } from '../../shell/page';
import { ComingNext } from './ComingNext';

export default function Agents() {
  const org = useOrg();
  return (
    <>
      <PageTitle title={`AI agents · ${org.name}`}>AI agents</PageTitle>
      <ComingNext
        what={[
          'the inventory: agents, MCP servers, model servers and gateways, with shadow agents flagged',
          'the five accountability pillars and their levels',
          'the five-question self-assessment, and what you claimed beside what the evidence shows',
          'governance probe results per scenario',
        ]}
      />
    </>
  );
}
