import { generate } from 'selfsigned';

export interface TlsMaterial {
  /** PEM private key. */
  key: string;
  /** PEM self-signed certificate for 127.0.0.1, ::1 and localhost. */
  cert: string;
}

/**
 * A self-signed certificate for the simulator (EC P-256: fast to generate). `dnsNames`: more
 * host names it is valid for (tests that connect by name to a pinned address).
 */
export async function createCertificate(dnsNames: readonly string[] = []): Promise<TlsMaterial> {
  const pems = await generate([{ name: 'commonName', value: 'kube-sim' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          ...dnsNames.map((value) => ({ type: 2 as const, value })),
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
