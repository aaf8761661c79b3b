// Certificates of the local control plane, made with Debian's `openssl` (node:crypto can make keys
// but not X.509 certificates). One throw-away CA signs the serving certificate (SANs localhost and
// 127.0.0.1) and the admin client certificate (CN=admin, O=system:masters, which RBAC lets do
// anything), like envtest's TinyCA. Keys are EC P-256: fast to make, accepted by Go and Node TLS.
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface PlaneCertificates {
  readonly dir: string;
  readonly caCertPath: string;
  readonly servingCertPath: string;
  readonly servingKeyPath: string;
  readonly clientCertPath: string;
  readonly clientKeyPath: string;
  /** Service-account token signing key pair (`--service-account-signing-key-file` / `-key-file`). */
  readonly saKeyPath: string;
  readonly saPublicKeyPath: string;
  readonly caCert: string;
  readonly clientCert: string;
  readonly clientKey: string;
}

const OPENSSL_CONFIG = `[req]
distinguished_name = dn
prompt = no
[dn]
CN = drover-test
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign,digitalSignature
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
`;

const DAYS = '365';
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export async function createPlaneCertificates(dir: string): Promise<PlaneCertificates> {
  await mkdir(dir, { recursive: true });
  const p = (name: string) => join(dir, name);
  const config = p('openssl.cnf');
  await writeFile(config, OPENSSL_CONFIG);

  await openssl(['req', '-x509', '-config', config, '-extensions', 'ca_ext', ...EC_KEY,
    '-keyout', p('ca.key'), '-out', p('ca.crt'), '-days', DAYS, '-subj', '/CN=drover-test-ca']);
  await signedCertificate(config, p, 'apiserver', '/CN=localhost', 'server_ext');
  await signedCertificate(config, p, 'admin', '/O=system:masters/CN=admin', 'client_ext');

  const sa = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  await writeFile(p('sa.key'), sa.privateKey, { mode: 0o600 });
  await writeFile(p('sa.pub'), sa.publicKey);

  return {
    dir,
    caCertPath: p('ca.crt'),
    servingCertPath: p('apiserver.crt'),
    servingKeyPath: p('apiserver.key'),
    clientCertPath: p('admin.crt'),
    clientKeyPath: p('admin.key'),
    saKeyPath: p('sa.key'),
    saPublicKeyPath: p('sa.pub'),
    caCert: await readFile(p('ca.crt'), 'utf8'),
    clientCert: await readFile(p('admin.crt'), 'utf8'),
    clientKey: await readFile(p('admin.key'), 'utf8'),
  };
}

async function signedCertificate(config: string, p: (n: string) => string, name: string, subject: string, ext: string): Promise<void> {
  await openssl(['req', '-new', '-config', config, ...EC_KEY, '-keyout', p(`${name}.key`), '-out', p(`${name}.csr`), '-subj', subject]);
  await openssl(['x509', '-req', '-in', p(`${name}.csr`), '-CA', p('ca.crt'), '-CAkey', p('ca.key'),
    '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', DAYS, '-extfile', config, '-extensions', ext, '-out', p(`${name}.crt`)]);
}

function openssl(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('openssl', args, (err, _stdout, stderr) => {
      if (!err) return resolve();
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new Error('openssl is required to create the test control plane certificates: install it (apt-get install openssl)'));
      }
      reject(new Error(`openssl ${args[0]} failed: ${stderr.trim() || err.message}`));
    });
  });
}
