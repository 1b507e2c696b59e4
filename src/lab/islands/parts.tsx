/**
 * Which component renders each lab part. Every part reads the lab from
 * context (LabProvider) and talks to it only through the lab client.
 */
import type { ComponentType } from 'react';
import { HostPanel } from '../components/HostPanel';
import { ProgressPart } from '../components/ProgressPart';
import { RunCommandPart } from '../components/RunCommandPart';
import type { LabPartName, LabPartProps } from '../part-names';

export const LAB_PARTS: Partial<Record<LabPartName, ComponentType<LabPartProps>>> = {
  progress: ProgressPart,
  hosts: HostPanel,
  run: RunCommandPart,
};
