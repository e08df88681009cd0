import { useOrg } from '../../session/org';
import { PageTitle } from '../../shell/page';
import { ComingNext } from './ComingNext';

export default function Reports() {
  const org = useOrg();
  return (
    <>
      <PageTitle title={`Reports · ${org.name}`}>Reports</PageTitle>
      <p className="notice" role="status" data-testid="reports-unavailable">
        The leadership PDF report is not available yet: requesting one is not possible until the
        report generator ships.
      </p>
      <ComingNext
        what={[
          'request a leadership PDF report',
          'its status while it is generated, and the download',
          'past reports',
        ]}
      />
    </>
  );
}
