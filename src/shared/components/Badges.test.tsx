import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ClassBadge, OffsiteBadge, RunStatusBadge, StreamBadge, TargetStateBadge, VerificationBadge } from './Badges';

describe('Badges', () => {
  it('names every target state in words', () => {
    const { rerender } = render(<TargetStateBadge state="never" />);
    expect(screen.getByText('Never succeeded')).toBeInTheDocument();
    rerender(<TargetStateBadge state="stale" />);
    expect(screen.getByText('Stale')).toBeInTheDocument();
  });

  it('shows the run status and the failure class', () => {
    render(
      <>
        <RunStatusBadge status="partial" />
        <ClassBadge value="disk_full" />
      </>,
    );
    expect(screen.getByText('partial')).toBeInTheDocument();
    expect(screen.getByText('disk_full')).toBeInTheDocument();
  });

  it('shows a dash for a clean run instead of a class', () => {
    render(<ClassBadge value="none" />);
    expect(screen.getByText('–')).toBeInTheDocument();
  });

  it('tells verified, failed and unverified apart', () => {
    const { rerender } = render(<VerificationBadge verification={null} />);
    expect(screen.getByText('not verified')).toBeInTheDocument();
    rerender(<VerificationBadge verification={{ level: 'restore', ok: false, at: '', restoreSeconds: null, problems: [] }} />);
    expect(screen.getByText('restore failed')).toBeInTheDocument();
  });

  it('tells a verified offsite copy from a failed one, and says why it failed', () => {
    const at = '2025-03-01T11:00:00Z';
    const { container, rerender } = render(<OffsiteBadge offsite={null} />);
    expect(container).toHaveTextContent('–');
    rerender(<OffsiteBadge offsite={{ state: 'copied', location: 's3://b/w/shop/1', at, verifiedAt: at, bytes: 1, attempts: 1, error: null }} />);
    expect(screen.getByText('offsite ✓')).toBeInTheDocument();
    const error = { class: 'storage_credentials' as const, retryable: false, severity: 'error' as const, code: 'SignatureDoesNotMatch', hint: 'Fix the key.', message: 'm' };
    rerender(<OffsiteBadge offsite={{ state: 'failed', location: 's3://b/w/shop/1', at, verifiedAt: null, bytes: 0, attempts: 3, error }} />);
    expect(screen.getByText('offsite failed')).toBeInTheDocument();
  });

  it('shows whether live updates arrive, and nothing while the stream first connects', () => {
    const { container, rerender } = render(<StreamBadge state="connecting" />);
    expect(container).toBeEmptyDOMElement();
    rerender(<StreamBadge state="live" />);
    expect(screen.getByText('Live')).toBeInTheDocument();
    rerender(<StreamBadge state="reconnecting" />);
    expect(screen.getByText('Reconnecting')).toBeInTheDocument();
  });
});
