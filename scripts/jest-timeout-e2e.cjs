// End-to-end tests start real processes and a browser: allow them five minutes each.
jest.setTimeout(300_000);
