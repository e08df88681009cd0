import type { ReactElement } from 'react';
import { ResponsiveContainer } from 'recharts';

/**
 * The drawing area of every chart: at a fixed `width` (the PDF report) the chart is drawn as
 * given, otherwise it fills its container. With a `label` it is one image with that text for
 * screen readers; without, it is hidden from them (the chart's table has the numbers).
 */
export function Plot({
  height,
  width,
  label,
  children,
}: {
  height: number;
  width?: number | undefined;
  label?: string;
  children: ReactElement;
}) {
  return (
    <div
      className="chart__plot"
      style={{ height }}
      {...(label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true })}
    >
      {width ? (
        children
      ) : (
        <ResponsiveContainer width="100%" height={height}>
          {children}
        </ResponsiveContainer>
      )}
    </div>
  );
}
