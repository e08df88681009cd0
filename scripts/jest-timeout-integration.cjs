// Integration tests talk to real services: allow them a minute each.
jest.setTimeout(60_000);
