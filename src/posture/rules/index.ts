import type { Rule } from '../posture-types.js';
import { adminWildcardGrant } from './admin-wildcard-grant.js';
import { agentNoApproval } from './agent-no-approval.js';
import { agentRetiredActive } from './agent-retired-active.js';
import { confusedDeputy } from './confused-deputy.js';
import { humanUse } from './human-use.js';
import { identityCrossEnvironment } from './identity-cross-environment.js';
import { identityShared } from './identity-shared.js';
import { identityUnused } from './identity-unused.js';
import { leakedSecret } from './leaked-secret.js';
import { missingKillSwitch } from './missing-kill-switch.js';
import { noExpiry } from './no-expiry.js';
import { noOwner } from './no-owner.js';
import { notRotated } from './not-rotated.js';
import { oidcTrustNoSubject } from './oidc-trust-no-subject.js';
import { ownerDeparted } from './owner-departed.js';
import { plaintextSecretInConfig } from './plaintext-secret-in-config.js';
import { privilegeEscalation } from './privilege-escalation.js';
import { roleTrustOpen } from './role-trust-open.js';
import { shadowIdentity } from './shadow-identity.js';
import { staticLongLivedKey } from './static-long-lived-key.js';
import { thirdPartyBroadScopes } from './third-party-broad-scopes.js';
import { unusedPermissions } from './unused-permissions.js';

/** Every posture rule; adding a rule is adding a file and a line here. */
export const RULES: readonly Rule[] = [
  noOwner,
  ownerDeparted,
  agentRetiredActive,
  identityUnused,
  noExpiry,
  notRotated,
  staticLongLivedKey,
  adminWildcardGrant,
  unusedPermissions,
  privilegeEscalation,
  agentNoApproval,
  identityShared,
  identityCrossEnvironment,
  humanUse,
  thirdPartyBroadScopes,
  oidcTrustNoSubject,
  roleTrustOpen,
  confusedDeputy,
  missingKillSwitch,
  leakedSecret,
  shadowIdentity,
  plaintextSecretInConfig,
];
