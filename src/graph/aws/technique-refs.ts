/** Public catalogues the technique entries cite (names follow Rhino Security Labs). */
export const RHINO = 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/';
export const BF = 'https://github.com/BishopFox/iam-vulnerable';
export const PF = 'https://pathfinding.cloud/';
