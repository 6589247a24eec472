import type { FindingFrameworks } from '../report/index.js';

/**
 * Framework vocabularies the findings and controls map to. Ids only; titles for display.
 *
 * - OWASP Top 10 for Agentic Applications 2026 (ASI01..ASI10):
 *   https://genai.owasp.org/resource/owasp-top-10-for-agentic-applications-for-2026/
 * - NIST CSF 2.0: https://nvlpubs.nist.gov/nistpubs/CSWP/NIST.CSWP.29.pdf
 * - CIS Controls v8, controls 5 (Account Management) and 6 (Access Control Management):
 *   https://www.cisecurity.org/controls/v8
 * - NIST AI RMF 1.0 (GOVERN, MAP, MEASURE, MANAGE): https://doi.org/10.6028/NIST.AI.100-1
 */
export const OWASP_AGENTIC: Record<string, string> = {
  ASI01: 'Agent Goal Hijack',
  ASI02: 'Tool Misuse and Exploitation',
  ASI03: 'Identity and Privilege Abuse',
  ASI04: 'Agentic Supply Chain Vulnerabilities',
  ASI05: 'Unexpected Code Execution',
  ASI06: 'Memory and Context Poisoning',
  ASI07: 'Insecure Inter-Agent Communication',
  ASI08: 'Cascading Failures',
  ASI09: 'Human-Agent Trust Exploitation',
  ASI10: 'Rogue Agents',
};

export const NIST_CSF: Record<string, string> = {
  'GV.RR-02': 'Roles, responsibilities and authorities are established',
  'GV.SC-07': 'Supplier risks are identified, prioritised and managed',
  'ID.AM-02': 'Inventories of software, services and systems are maintained',
  'ID.AM-08': 'Systems, software and services are managed throughout their life cycles',
  'ID.RA-01': 'Vulnerabilities in assets are identified',
  'PR.AA-01': 'Identities and credentials of users, services and hardware are managed',
  'PR.AA-03': 'Users, services and hardware are authenticated',
  'PR.AA-05': 'Access permissions are managed with least privilege and separation of duties',
  'PR.DS-01': 'Data at rest is protected',
  'PR.PS-01': 'Configuration management practices are applied',
  'DE.CM-03': 'Personnel activity and technology usage are monitored',
  'DE.CM-09': 'Computing hardware, software and runtime environments are monitored',
  'RS.MI-01': 'Incidents are contained',
};

export const CIS_V8: Record<string, string> = {
  '5.1': 'Establish and maintain an inventory of accounts',
  '5.2': 'Use unique passwords',
  '5.3': 'Disable dormant accounts',
  '5.4': 'Restrict administrator privileges to dedicated administrator accounts',
  '5.5': 'Establish and maintain an inventory of service accounts',
  '5.6': 'Centralise account management',
  '6.1': 'Establish an access granting process',
  '6.2': 'Establish an access revoking process',
  '6.5': 'Require MFA for administrative access',
  '6.6': 'Establish and maintain an inventory of authentication and authorisation systems',
  '6.7': 'Centralise access control',
  '6.8': 'Define and maintain role-based access control',
};

export const AI_RMF: Record<string, string> = {
  'GOVERN 1.6': 'Mechanisms are in place to inventory AI systems',
  'GOVERN 2.1': 'Roles and responsibilities are documented and clear',
  'GOVERN 6.1': 'Policies address risks of third-party entities',
  'MAP 3.5': 'Processes for human oversight are defined',
  'MAP 4.1': 'Approaches for mapping third-party technology risks are in place',
  'MEASURE 2.7': 'AI system security and resilience are evaluated',
  'MANAGE 2.4': 'Mechanisms exist to supersede, disengage or deactivate AI systems',
  'MANAGE 3.1': 'Third-party risks are monitored',
  'MANAGE 4.1': 'Post-deployment monitoring plans are implemented',
};

/** Shorthand for a mapping: agentic ids, CSF ids, CIS safeguards, AI RMF subcategories. */
export function fw(
  owaspAgentic: string[],
  nistCsf: string[],
  cis: string[],
  aiRmf: string[],
): FindingFrameworks {
  return { owaspAgentic, nistCsf, cis, aiRmf };
}

export const OWASP_NHI_URL = 'https://owasp.org/www-project-non-human-identities-top-10/2025/';
