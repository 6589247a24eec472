import { custom } from './rule-builders.js';
import type { RuleSpec } from './rule-types.js';

/**
 * Private keys and signed tokens. PEM blocks span lines, so these rules look ahead from the
 * `-----BEGIN` keyword over a bounded window instead of one line (RFC 7468 textual encoding).
 */
const PEM_BODY = '(?:[A-Za-z0-9+/=\\s]|\\\\n|\\\\r){64,16000}?';
// The keyword sits after `-----BEGIN `, so the window opens a little before it.
const MULTI = { before: 40, after: 17000, multiline: true };

export const KEY_RULES: RuleSpec[] = [
  custom({
    id: 'private-key-pem',
    title: 'Private key (PEM)',
    provider: 'pki',
    kind: 'certificate',
    severity: 'critical',
    docs: 'https://datatracker.ietf.org/doc/html/rfc7468#section-10',
    keywords: ['private key-----'],
    regex: `(-----BEGIN (?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----${PEM_BODY}-----END (?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY-----)`,
    window: MULTI,
    priority: 2,
  }),
  custom({
    id: 'private-key-openssh',
    title: 'OpenSSH private key',
    provider: 'ssh',
    kind: 'ssh-key',
    severity: 'critical',
    docs: 'https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key',
    keywords: ['openssh private key'],
    regex: `(-----BEGIN OPENSSH PRIVATE KEY-----${PEM_BODY}-----END OPENSSH PRIVATE KEY-----)`,
    window: MULTI,
  }),
  custom({
    id: 'private-key-pgp',
    title: 'PGP private key block',
    provider: 'pgp',
    kind: 'certificate',
    severity: 'critical',
    docs: 'https://datatracker.ietf.org/doc/html/rfc4880#section-6.2',
    keywords: ['pgp private key block'],
    regex: `(-----BEGIN PGP PRIVATE KEY BLOCK-----(?:[A-Za-z0-9+/=\\s:.-]|\\\\n){64,40000}?-----END PGP PRIVATE KEY BLOCK-----)`,
    window: { before: 40, after: 41000, multiline: true },
  }),
  custom({
    id: 'private-key-putty',
    title: 'PuTTY private key (PPK)',
    provider: 'ssh',
    kind: 'ssh-key',
    severity: 'critical',
    docs: 'https://the.earth.li/~sgtatham/putty/0.78/htmldoc/AppendixC.html',
    keywords: ['putty-user-key-file-'],
    regex:
      '(PuTTY-User-Key-File-[23]: [a-z0-9-]{3,40}\\r?\\nEncryption: [a-z0-9-]{3,20}\\r?\\n[\\s\\S]{0,3000}?Private-Lines: \\d{1,3}\\r?\\n[A-Za-z0-9+/=\\r\\n]{40,8000})',
    window: { before: 4, after: 12000, multiline: true },
  }),
  custom({
    id: 'jwt',
    title: 'JSON Web Token',
    provider: 'jwt',
    kind: 'session-token',
    severity: 'medium',
    docs: 'https://datatracker.ietf.org/doc/html/rfc7519#section-3',
    keywords: ['eyj'],
    regex:
      '(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,800}\\.eyJ[A-Za-z0-9_-]{10,8000}\\.[A-Za-z0-9_-]{16,1000})(?![A-Za-z0-9_-])',
    entropy: 4,
    priority: 1,
  }),
];
