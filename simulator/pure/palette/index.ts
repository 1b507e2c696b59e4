// Public API of the simulated Palette's domain rules (pure: imports only `zod` and sibling pure
// modules; safe for the browser). Catalog data, profile, registration and cluster-wizard rules.
export * from './catalog';
export { formatPath, hasErrors, type PaletteIssue, type Parsed, type Severity } from './issues';
export { checkName, checkSemver, checkNtpServer, checkSshKey, checkTagList, suggestName, NAME_MAX_LENGTH } from './names';
export {
  checkProviderImage, resolveSystemUri, DEFAULT_URI_TEMPLATE, K8S_VERSION_MACRO, NO_PROVIDER_IMAGE, URI_KEY,
  type ProviderImageCheck, type UriResolution,
} from './provider-image';
export {
  analyseProfile, clusterProfileSchema, parseProfile, profileLayerSchema, validateProfile,
  type ClusterProfile, type ManifestLayer, type PackLayer, type ProfileFacts, type ProfileLayer, type ProfileOptions,
} from './profile';
export {
  consoleSafe, decideRegistration, isOtherMachine,
  type KnownHost, type MachineIdentity, type RecordChange, type RegistrationDecision,
  type RegistrationInput, type RegistrationToken,
} from './registration';
export {
  clusterSpecSchema, clusterStatuses, healthStatuses, hostStatuses, parseCluster, validateCluster,
  type ClusterContext, type ClusterSpec, type ClusterStatus, type HealthStatus,
} from './cluster';
export { CONTROL_PLANE_SIZES, type EdgeHostView, type HostStatus, type PoolHost } from './cluster-nodes';
export { DEFAULT_OVERLAY_CIDR, inSubnet, type ClusterNode, type StaticIp } from './cluster-network';
export { projectUid, PROJECT_UID_PATTERN } from './project-uid';
export { checkDisplayName, checkHostId, checkTags } from './resource-names';
export { HEARTBEAT_TIMEOUT_MS, hostHealth, hostStatus, type HostHealth, type Registration } from './host-health';
export {
  addressOf, blobPath, clusterImage, clusterLayers, effectiveValues, labRepositoryOf, nodeNames, staticIpCidr, type ClusterImage,
} from './assignment';
export {
  applyReport, clusterHealth, etcdQuorum, unhealthyReasons,
  type NodeProgress, type NodeRole, type NoteSeverity, type ProgressFacts, type ProgressNote, type ProgressResult, type ProvisioningReport,
} from './cluster-progress';
export { AGENT_REFUSAL_CODES, REGISTRATION_CODES, REGISTRATION_REFUSAL_CODES, type AgentRefusalCode, type RegistrationCode, type RegistrationRefusalCode } from './refusals';
export { nextNodeName, planPoolEdit, type PoolEdit, type PoolEditFacts, type PoolEditResult, type PoolNode } from './pool-edit';
export { compareVersions } from './versions';
export { checkUpgrade, upgradeOrder, upgradeTurn, type UpgradeCheckInput } from './upgrade';
