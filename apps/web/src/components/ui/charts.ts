// Charts for pages that show numbers over time (content statistics, queues). Import them from
// here, never from the package: their styles come along, and only chunks that chart load them.
import '@mantine/charts/styles.css';

export { AreaChart, BarChart, DonutChart, LineChart, PieChart, Sparkline } from '@mantine/charts';
export type { AreaChartProps, BarChartProps, LineChartProps } from '@mantine/charts';
