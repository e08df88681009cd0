import { Link } from '../../router/Link';
import { paths } from '../../router/routes';
import { PublicLayout } from '../../shell/PublicLayout';
import { PageTitle } from '../../shell/page';

export function NotFound() {
  return (
    <PublicLayout>
      <section className="card" aria-labelledby="page-title" data-testid="not-found">
        <PageTitle title="Page not found">Page not found</PageTitle>
        <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
        <p>
          <Link to={paths.home()}>Go to your overview</Link> or{' '}
          <Link to={paths.status()}>check the system status</Link>.
        </p>
      </section>
    </PublicLayout>
  );
}
