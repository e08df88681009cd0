import { useOrg } from '../../session/org';
import { PageTitle } from '../../shell/page';
import { ComingNext } from './ComingNext';

export default function IntegrationTax() {
  const org = useOrg();
  return (
    <>
      <PageTitle title={`Integration tax · ${org.name}`}>Integration tax</PageTitle>
      <ComingNext
        what={[
          'every cost assumption, editable, with its default and source; totals recomputed as you edit',
          'the tax per component and per tool',
          'a sensitivity tornado: which assumptions move the total most',
          'consolidation return on investment and payback',
          'the VM platform section, when VMs exist',
        ]}
      />
    </>
  );
}
