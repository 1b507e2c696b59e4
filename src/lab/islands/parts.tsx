/**
 * Which component renders each lab part. Every part reads the lab from
 * context (LabProvider) and talks to it only through the lab client.
 */
import type { ComponentType } from 'react';
import { HostPanel } from '../components/HostPanel';
import { InstallerBuilder } from '../components/installer/InstallerBuilder';
import { SiteStickBuilder } from '../components/installer/SiteStickBuilder';
import { ClusterOverviewPart } from '../components/palette/ClusterOverviewPart';
import { ClusterWizardPart } from '../components/palette/ClusterWizardPart';
import { EdgeHostsPart } from '../components/palette/EdgeHostsPart';
import { TokensPart } from '../components/palette/TokensPart';
import { RegistrationAppPart } from '../components/palette/RegistrationAppPart';
import { ProfileBuilder } from '../components/profile/ProfileBuilder';
import { ProgressPart } from '../components/ProgressPart';
import { RunCommandPart } from '../components/RunCommandPart';
import { StatechartPart } from '../components/StatechartPart';
import { DemoStartPart } from '../demo/DemoStartPart';
import { WalkthroughPart } from '../components/WalkthroughPart';
import { DrillCheckPart } from '../components/DrillCheckPart';
import { RegistryPart } from '../components/RegistryPart';
import { LanPart } from '../components/LanPart';
import type { LabPartName, LabPartProps } from '../part-names';

export const LAB_PARTS: Partial<Record<LabPartName, ComponentType<LabPartProps>>> = {
  progress: ProgressPart,
  statechart: StatechartPart,
  hosts: HostPanel,
  run: RunCommandPart,
  demo: DemoStartPart,
  walkthrough: WalkthroughPart,
  'profile-builder': ProfileBuilder,
  'installer-builder': InstallerBuilder,
  'site-stick-builder': SiteStickBuilder,
  tokens: TokensPart,
  'edge-hosts': EdgeHostsPart,
  'registration-app': RegistrationAppPart,
  'cluster-wizard': ClusterWizardPart,
  'cluster-overview': ClusterOverviewPart,
  'drill-check': DrillCheckPart,
  registry: RegistryPart,
  lan: LanPart,
};
