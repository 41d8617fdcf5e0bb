import { Counter } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  acceptsOpenMetrics,
  createHttpDurationHistogram,
  createRegistry,
  RoundSeriesBound,
  renderMetrics,
} from './metrics.ts';

describe('RoundSeriesBound', () => {
  it('keeps at most maxRounds rounds, dropping the least recently active', () => {
    const dropped: string[] = [];
    const bound = new RoundSeriesBound(2, 60_000, () => 0);
    for (const round of ['a', 'b', 'a', 'c']) bound.touch(round, () => dropped.push(round));
    expect(dropped).toEqual(['b']);
    expect(bound.size).toBe(2);
  });

  it('drops a closed round once its TTL has passed', () => {
    let now = 0;
    const dropped: string[] = [];
    const bound = new RoundSeriesBound(10, 1000, () => now);
    bound.touch('a', () => dropped.push('a'));
    bound.touch('b', () => dropped.push('b'));
    bound.closed('a');
    now = 999;
    bound.touch('b', () => dropped.push('b'));
    expect(dropped).toEqual([]);
    now = 1000;
    bound.touch('b', () => dropped.push('b'));
    expect(dropped).toEqual(['a']);
    expect(bound.size).toBe(1);
  });

  it('keeps a closed round closed when it is touched again, and forgets it once dropped', () => {
    let now = 0;
    const dropped: string[] = [];
    const bound = new RoundSeriesBound(10, 1000, () => now);
    bound.touch('a', () => dropped.push('a'));
    bound.closed('a');
    now = 600;
    bound.touch('a', () => dropped.push('a'));
    bound.closed('a');
    now = 1000;
    bound.touch('b', () => dropped.push('b'));
    expect(dropped).toEqual(['a']);
    // Back after being dropped: tracked afresh, open until closed again.
    bound.touch('a', () => dropped.push('a'));
    now = 5000;
    bound.touch('b', () => dropped.push('b'));
    expect(dropped).toEqual(['a']);
    expect(bound.size).toBe(2);
  });
});

describe('the OpenMetrics exposition', () => {
  it('is asked for as Prometheus asks, and only then', () => {
    expect(
      acceptsOpenMetrics(
        'application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1',
      ),
    ).toBe(true);
    expect(acceptsOpenMetrics('application/openmetrics-text')).toBe(true);
    expect(acceptsOpenMetrics(undefined)).toBe(false);
    expect(acceptsOpenMetrics('*/*')).toBe(false);
    expect(acceptsOpenMetrics('text/plain')).toBe(false);
    expect(acceptsOpenMetrics('text/plain, application/openmetrics-text;q=0.5')).toBe(false);
    expect(acceptsOpenMetrics('application/openmetrics-text;q=0')).toBe(false);
  });

  it('carries the exemplars and keeps the counters’ names, however renderings interleave', async () => {
    const registry = createRegistry('test');
    const counter = new Counter({ name: 'things_total', help: 'h', registers: [registry] });
    counter.inc();
    const duration = createHttpDurationHistogram(registry, { exemplars: true });
    const exemplar = { trace_id: 'a'.repeat(32), span_id: 'b'.repeat(16) };
    duration.observe({ method: 'POST', route: '/vote', status_code: '200' }, 0.002, exemplar);
    duration.observe({ method: 'HEAD', route: '/x', status_code: '200' }, 0.002);
    const [openMetrics, classic, again] = await Promise.all([
      renderMetrics(registry, 'openmetrics'),
      renderMetrics(registry, 'prometheus'),
      renderMetrics(registry, 'openmetrics'),
    ]);
    expect(openMetrics).toContain(
      `http_request_duration_seconds_bucket{le="0.0025",service="test",method="POST",route="/vote",status_code="200"} 1 # {trace_id="${exemplar.trace_id}",span_id="${exemplar.span_id}"} 0.002 `,
    );
    expect(openMetrics).toMatch(/^things_total\{service="test"\} 1$/m);
    expect(openMetrics.endsWith('# EOF\n')).toBe(true);
    expect(again).toContain(exemplar.trace_id);
    expect(classic).toMatch(/^things_total\{service="test"\} 1$/m);
    expect(classic).toContain('method="GET"');
    expect(classic).not.toContain('trace_id');
    expect(await registry.metrics()).toMatch(/^# TYPE things_total counter$/m);
  });

  it('has no exemplars when tracing is off', async () => {
    const registry = createRegistry('test');
    const duration = createHttpDurationHistogram(registry);
    duration.observe({ method: 'POST', route: '/vote', status_code: '200' }, 0.002, {
      trace_id: 'a'.repeat(32),
    });
    expect(await renderMetrics(registry, 'openmetrics')).not.toContain('trace_id');
  });
});
