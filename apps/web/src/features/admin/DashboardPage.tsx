import { Anchor, Box, Paper, SimpleGrid, Skeleton, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { paths, postPath } from '../../app/paths';
import { BarChart, LineChart } from '../../components/ui/charts';
import { useCan } from '../auth';
import type { AdminStats } from './api/admin.api';
import { useStats } from './api/admin.queries';
import { count, dateTime, statsDay } from './admin.format';
import { ChartFigure } from './components/ChartFigure';
import { LoadError } from './components/LoadError';

type Day = AdminStats['days'][number];

const CHART_HEIGHT = 220;

/**
 * The charts are pictures for sighted readers (their summaries and tables say the same in text):
 * no keyboard stop inside them (recharts' accessibility layer makes the chart focusable).
 */
const NOT_FOCUSABLE = { accessibilityLayer: false } as const;

/**
 * A chart by day: room on the right for today's label, centred under the last bar (it ran into the
 * card's edge on a phone).
 */
const BY_DAY = { ...NOT_FOCUSABLE, margin: { top: 5, right: 16, bottom: 5, left: 5 } } as const;

/** The busiest day of a series, for the summary in words ("most on 3 May: 4"). */
function busiest(days: Day[], pick: (day: Day) => number): string {
  const top = days.reduce<Day | undefined>((best, day) => (best && pick(best) >= pick(day) ? best : day), undefined);
  return top && pick(top) > 0 ? `, most on ${statsDay(top.date)} (${pick(top)})` : '';
}

const sum = (days: Day[], pick: (day: Day) => number) => days.reduce((total, day) => total + pick(day), 0);

/**
 * One date label a week, counted back from the last day (today): evenly spaced, and today always
 * labelled. Left to itself the axis drops labels where they would touch, unevenly (1, 4, 7, 10, 14 … 30).
 */
function weeklyTicks(labels: string[]): string[] {
  return labels.filter((_, index) => (labels.length - 1 - index) % 7 === 0);
}

/** Counts are whole numbers: on the value axis and on the bars' labels (the charts print none without it). */
const whole = (value: number) => new Intl.NumberFormat().format(value);

/** The administrators' overview: figures of the last 30 days from `GET /admin/stats`. */
export function DashboardPage() {
  const stats = useStats();

  return (
    <Stack gap="lg">
      <title>Dashboard · Administration · Atrium</title>
      <Stack gap={4}>
        <Title order={1}>Dashboard</Title>
        {stats.data ? (
          <Text size="sm" c="dimmed">
            Figures as of <time dateTime={stats.data.generatedAt}>{dateTime(stats.data.generatedAt)}</time>; days are
            UTC days.
          </Text>
        ) : null}
      </Stack>
      {stats.isPending ? (
        <DashboardSkeleton />
      ) : stats.isError ? (
        <LoadError title="Could not load the figures" query={stats} />
      ) : (
        <Dashboard stats={stats.data} />
      )}
    </Stack>
  );
}

function DashboardSkeleton() {
  return (
    <Stack gap="md">
      <div role="status">
        <VisuallyHidden>Loading the figures…</VisuallyHidden>
      </div>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} aria-hidden="true">
        {[1, 2, 3, 4].map((n) => (
          <Skeleton key={n} height={84} radius="md" />
        ))}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }} aria-hidden="true">
        <Skeleton height={300} radius="md" />
        <Skeleton height={300} radius="md" />
      </SimpleGrid>
    </Stack>
  );
}

function Figure({ label, value, children }: { label: string; value: number; children?: ReactNode }) {
  // A <div> in a <dl> groups one term with its description (HTML allows it); the link is part of the description.
  return (
    <Paper withBorder radius="md" p="md">
      <Text size="sm" c="dimmed" component="dt">
        {label}
      </Text>
      <Box component="dd" m={0}>
        <Text fz={28} fw={700}>
          {new Intl.NumberFormat().format(value)}
        </Text>
        {children}
      </Box>
    </Paper>
  );
}

function Dashboard({ stats }: { stats: AdminStats }) {
  const { days, content, users, sessions } = stats;
  const canModerate = useCan('comments:moderate');
  // Posts nobody has read yet are not "most read".
  const readPosts = content.topPosts.filter((post) => post.viewCount > 0);
  const chartDays = days.map((day) => ({ ...day, label: statsDay(day.date) }));
  const dayAxis = { ticks: weeklyTicks(chartDays.map((day) => day.label)), interval: 0 } as const;
  const statusRows = (['published', 'scheduled', 'draft', 'archived'] as const).map((status) => ({
    status,
    label: status.charAt(0).toUpperCase() + status.slice(1),
    posts: content.postsByStatus[status],
  }));
  const signUps = sum(days, (d) => d.newUsers);
  const published = sum(days, (d) => d.postsPublished);
  const logins = sum(days, (d) => d.logins);
  const failed = sum(days, (d) => d.failedLogins);

  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm" component="dl" m={0}>
        <Figure label="Users" value={users.total} />
        <Figure label="Active sessions" value={sessions.active} />
        <Figure label="Published posts" value={content.postsByStatus.published} />
        <Figure label="Comments awaiting moderation" value={content.commentsPending}>
          {content.commentsPending > 0 && canModerate ? (
            <Anchor component={Link} to={paths.moderation} size="sm">
              Moderate them
            </Anchor>
          ) : null}
        </Figure>
      </SimpleGrid>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ChartFigure
          title="Sign-ups per day"
          summary={`${count(signUps, 'sign-up')} in the last 30 days${busiest(days, (d) => d.newUsers)}.`}
          rows={days}
          rowKey={(day) => day.date}
          columns={[
            { label: 'Day', value: (day) => statsDay(day.date) },
            { label: 'Sign-ups', value: (day) => day.newUsers },
          ]}
        >
          <BarChart
            h={CHART_HEIGHT}
            data={chartDays}
            dataKey="label"
            series={[{ name: 'newUsers', label: 'Sign-ups', color: 'blue.6' }]}
            tickLine="y"
            withTooltip={false}
            barChartProps={BY_DAY}
            xAxisProps={dayAxis}
            yAxisProps={{ allowDecimals: false }}
          />
        </ChartFigure>

        <ChartFigure
          title="Posts published per day"
          summary={`${count(published, 'post')} published in the last 30 days${busiest(days, (d) => d.postsPublished)}.`}
          rows={days}
          rowKey={(day) => day.date}
          columns={[
            { label: 'Day', value: (day) => statsDay(day.date) },
            { label: 'Posts published', value: (day) => day.postsPublished },
          ]}
        >
          <BarChart
            h={CHART_HEIGHT}
            data={chartDays}
            dataKey="label"
            series={[{ name: 'postsPublished', label: 'Posts published', color: 'teal.7' }]}
            tickLine="y"
            withTooltip={false}
            barChartProps={BY_DAY}
            xAxisProps={dayAxis}
            yAxisProps={{ allowDecimals: false }}
          />
        </ChartFigure>

        <ChartFigure
          title="Sign-ins per day"
          summary={`${count(logins, 'successful sign-in')} and ${count(failed, 'failed sign-in')} in the last 30 days.`}
          rows={days}
          rowKey={(day) => day.date}
          columns={[
            { label: 'Day', value: (day) => statsDay(day.date) },
            { label: 'Sign-ins', value: (day) => day.logins },
            { label: 'Failed sign-ins', value: (day) => day.failedLogins },
          ]}
        >
          <LineChart
            h={CHART_HEIGHT}
            data={chartDays}
            dataKey="label"
            series={[
              { name: 'logins', label: 'Sign-ins', color: 'blue.6' },
              { name: 'failedLogins', label: 'Failed sign-ins', color: 'red.7', strokeDasharray: '5 5' },
            ]}
            withLegend
            tickLine="y"
            withTooltip={false}
            lineChartProps={BY_DAY}
            curveType="linear"
            xAxisProps={dayAxis}
            yAxisProps={{ allowDecimals: false }}
          />
        </ChartFigure>

        <ChartFigure
          title="Posts by status"
          summary={statusRows.map((row) => `${row.label}: ${row.posts}`).join(', ') + '.'}
          rows={statusRows}
          rowKey={(row) => row.status}
          columns={[
            { label: 'Status', value: (row) => row.label },
            { label: 'Posts', value: (row) => row.posts },
          ]}
        >
          <BarChart
            h={CHART_HEIGHT}
            data={statusRows}
            dataKey="label"
            series={[{ name: 'posts', label: 'Posts', color: 'violet.6' }]}
            tickLine="y"
            withTooltip={false}
            barChartProps={NOT_FOCUSABLE}
            withBarValueLabel
            valueFormatter={whole}
            yAxisProps={{ allowDecimals: false }}
          />
        </ChartFigure>
      </SimpleGrid>

      <ChartFigure
        title="Most read posts"
        summary={
          readPosts.length === 0
            ? 'No post has been read yet.'
            : `The most read post is “${readPosts[0].title}” with ${count(readPosts[0].viewCount, 'view')}.`
        }
        rows={readPosts}
        rowKey={(post) => post.id}
        columns={[
          {
            label: 'Post',
            value: (post) => (
              <Anchor component={Link} to={postPath(post.slug)}>
                {post.title}
              </Anchor>
            ),
          },
          { label: 'Views', value: (post) => post.viewCount },
          { label: 'Comments', value: (post) => post.commentCount },
        ]}
      >
        {readPosts.length === 0 ? (
          <Text size="sm">No post has been read yet.</Text>
        ) : (
          <BarChart
            h={Math.max(160, readPosts.length * 36)}
            data={readPosts.map((post) => ({
              title: post.title.length > 28 ? `${post.title.slice(0, 27)}…` : post.title,
              views: post.viewCount,
            }))}
            dataKey="title"
            orientation="vertical"
            series={[{ name: 'views', label: 'Views', color: 'orange.7' }]}
            withTooltip={false}
            barChartProps={NOT_FOCUSABLE}
            withBarValueLabel
            valueFormatter={whole}
            xAxisProps={{ allowDecimals: false }}
            yAxisProps={{ width: 140 }}
            gridAxis="none"
          />
        )}
      </ChartFigure>

      <ChartFigure
        title="Users by role"
        summary={users.byRole.map((role) => `${role.role}: ${role.users}`).join(', ') + '.'}
        rows={users.byRole}
        rowKey={(role) => role.role}
        columns={[
          { label: 'Role', value: (role) => role.role },
          { label: 'Level', value: (role) => role.level },
          { label: 'Users', value: (role) => role.users },
        ]}
      >
        <BarChart
          h={Math.max(140, users.byRole.length * 36)}
          data={users.byRole}
          dataKey="role"
          orientation="vertical"
          series={[{ name: 'users', label: 'Users', color: 'cyan.7' }]}
          withTooltip={false}
          barChartProps={NOT_FOCUSABLE}
          withBarValueLabel
          valueFormatter={whole}
          xAxisProps={{ allowDecimals: false }}
          yAxisProps={{ width: 90 }}
          gridAxis="none"
        />
      </ChartFigure>
    </Stack>
  );
}
