import { ActionIcon, Badge, Code, CopyButton, DataList, Group, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import type { InstanceInfo } from '@atrium/api-client';

import { CheckIcon, CopyIcon } from '../../../components/ui/icons';
import { formatCount, formatDateTime, modeExplanation, modeLabel } from '../status.format';

export function InstanceSummary({ info }: { info: InstanceInfo }) {
  return (
    <DataList labelWidth="8.5rem" withDivider>
      <DataList.Item>
        <DataList.ItemLabel>Name</DataList.ItemLabel>
        <DataList.ItemValue fw={600}>{info.name}</DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Version</DataList.ItemLabel>
        <DataList.ItemValue>
          <Code>{info.version}</Code>
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Mode</DataList.ItemLabel>
        <DataList.ItemValue>
          <Stack gap={4}>
            <Badge variant="outline" color="gray" radius="sm" w="fit-content" c="var(--mantine-color-text)">
              {modeLabel[info.mode]}
            </Badge>
            <Text size="sm">{modeExplanation[info.mode]}</Text>
          </Stack>
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Instance ID</DataList.ItemLabel>
        <DataList.ItemValue>
          <Group gap={6} wrap="nowrap">
            <Code style={{ wordBreak: 'break-all' }}>{info.instance.id}</Code>
            <CopyButton value={info.instance.id} timeout={2000}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy instance ID'} withArrow position="top">
                  <ActionIcon
                    variant="subtle"
                    color={copied ? 'green' : 'gray'}
                    onClick={copy}
                    aria-label={copied ? 'Instance ID copied' : 'Copy instance ID'}
                  >
                    {copied ? <CheckIcon /> : <CopyIcon />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          </Group>
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Installed</DataList.ItemLabel>
        <DataList.ItemValue>
          <time dateTime={info.instance.installedAt}>{formatDateTime(info.instance.installedAt)}</time>
        </DataList.ItemValue>
      </DataList.Item>
      <DataList.Item>
        <DataList.ItemLabel>Boot count</DataList.ItemLabel>
        <DataList.ItemValue>{formatCount(info.instance.bootCount)}</DataList.ItemValue>
      </DataList.Item>
    </DataList>
  );
}

export function InstanceSummarySkeleton() {
  return (
    <Stack gap="md" aria-hidden="true" data-testid="instance-skeleton">
      {[40, 24, 70, 60, 45, 15].map((width, index) => (
        <Group key={index} gap="md" wrap="nowrap">
          <Skeleton height={14} width="8rem" radius="sm" />
          <Skeleton height={14} width={`${width}%`} radius="sm" />
        </Group>
      ))}
    </Stack>
  );
}
