import type { NativeIdHint } from '../leak-types.js';
import type { Hit } from './scan-text.js';

const near = (text: string, at: number, span: number) =>
  text.slice(Math.max(0, at - span), Math.min(text.length, at + span));

/**
 * Inventory ids a secret carries or sits next to: an AWS access key id is itself the identity's
 * native id; an AWS secret is tied to the key id beside it; a GCP service-account key JSON names
 * its client_email, project and private_key_id (the key's resource name is
 * `projects/P/serviceAccounts/EMAIL/keys/ID`, https://cloud.google.com/iam/docs/keys-list-get);
 * an OAuth client secret sits next to its client id.
 */
export function nativeIdsFor(hit: Hit, text: string, all: readonly Hit[]): NativeIdHint[] {
  const spec = hit.rule.spec;
  const out: NativeIdHint[] = [];
  if (spec.secretIsNativeId) out.push({ provider: spec.provider, nativeId: hit.secret, via: 'secret' });
  switch (spec.id) {
    case 'aws-credentials-pair': {
      const m = /(?:AKIA|ASIA)[A-Z2-7]{16}/.exec(hit.match);
      if (m) out.push({ provider: 'aws', nativeId: m[0], via: 'same-file' });
      break;
    }
    case 'aws-secret-access-key':
    case 'aws-session-token': {
      // The nearest key id in the same file (credentials files, .env, CI variables).
      let best: Hit | undefined;
      for (const h of all) {
        if (h.rule.spec.id !== 'aws-access-key-id') continue;
        if (!best || Math.abs(h.start - hit.start) < Math.abs(best.start - hit.start)) best = h;
      }
      const id =
        best?.secret ??
        /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z2-7]{16}(?![A-Z0-9])/.exec(near(text, hit.start, 2000))?.[0];
      if (id) out.push({ provider: 'aws', nativeId: id, via: 'same-file' });
      break;
    }
    case 'gcp-service-account-key': {
      const around = near(text, hit.start, 6000);
      const email = /"client_email"\s*:\s*"([^"\s]{3,320})"/.exec(around)?.[1];
      const keyId = /"private_key_id"\s*:\s*"([0-9a-f]{40})"/.exec(around)?.[1];
      const project =
        /"project_id"\s*:\s*"([^"\s]{1,100})"/.exec(around)?.[1] ?? email?.split('@')[1]?.split('.')[0];
      if (email) out.push({ provider: 'gcp', nativeId: email, via: 'same-file' });
      if (email && keyId && project)
        out.push({
          provider: 'gcp',
          nativeId: `projects/${project}/serviceAccounts/${email}/keys/${keyId}`,
          via: 'same-file',
        });
      const clientId = /"client_id"\s*:\s*"(\d{10,30})"/.exec(around)?.[1];
      if (clientId) out.push({ provider: 'gcp', nativeId: clientId, via: 'same-file' });
      break;
    }
    case 'gcp-oauth-client-secret': {
      const id = /\d{6,20}-[a-z0-9]{32}\.apps\.googleusercontent\.com/.exec(near(text, hit.start, 3000))?.[0];
      if (id) {
        out.push({ provider: 'gcp', nativeId: id, via: 'same-file' });
        out.push({ provider: 'google-workspace', nativeId: id, via: 'same-file' });
      }
      break;
    }
    case 'azure-ad-client-secret': {
      // AZURE_CLIENT_ID / client_id / appId next to the secret names the Entra application.
      const m =
        /(?:client[_-]?id|app[_-]?id|application[_-]?id)["']?\s*[:=]\s*["']?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i.exec(
          near(text, hit.start, 2000),
        );
      if (m?.[1]) out.push({ provider: 'azure', nativeId: m[1].toLowerCase(), via: 'same-file' });
      break;
    }
    case 'github-oauth-client-secret': {
      const m =
        /client[_-]?id["']?\s*[:=]\s*["']?((?:Iv1\.|Iv23)[A-Za-z0-9]{8,20}|Ov23[A-Za-z0-9]{16})/i.exec(
          near(text, hit.start, 2000),
        );
      if (m?.[1]) out.push({ provider: 'github', nativeId: m[1], via: 'same-file' });
      break;
    }
  }
  return out;
}
