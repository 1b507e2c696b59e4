/**
 * Every state of the lab that is not live, in words, with the one action that
 * helps (Retry, Open a new lab, Reload). Nothing when the lab is live.
 */
import type { ReactNode } from 'react';
import { useLabContext, useLabState } from '../client';
import { labNotice, serverNotices, type NoticeAction } from '../components/lab-notice';

const ACTION_LABELS: Readonly<Record<NoticeAction, string>> = { retry: 'Retry', 'new-lab': 'Open a new lab', reload: 'Reload the page' };

export function LabNotice(): ReactNode {
  const lab = useLabContext();
  const state = useLabState();
  const notice = labNotice(state);
  if (!notice) {
    const news = serverNotices(state.connection.view);
    return news.length === 0 ? null : (
      <>
        {news.map((n) => (
          <div key={n.text} className={`alert alert--${n.tone}`} role="status" data-lab-notice={n.tone} data-server-notice="">{n.text}</div>
        ))}
      </>
    );
  }
  const act = (): void => {
    if (notice.action === 'retry') void lab.retry();
    else if (notice.action === 'new-lab') void lab.openNewLab();
    else if (notice.action === 'reload') window.location.reload();
  };
  const tone = notice.tone === 'danger' ? 'danger' : notice.tone === 'warning' ? 'warning' : 'info';
  return (
    <div className={`alert alert--${tone}`} role="status" data-lab-notice={notice.tone}>
      {notice.text}
      {notice.action ? <> <button type="button" className="button button--sm button--secondary" onClick={act}>{ACTION_LABELS[notice.action]}</button></> : null}
    </div>
  );
}
