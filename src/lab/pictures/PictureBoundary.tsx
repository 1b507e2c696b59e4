/**
 * A picture never takes its lab part down with it: whatever a diagram throws while it
 * renders is caught here and shown as one line, and the text beside the picture (the
 * chart as a list, the cluster's table) stays on the page.
 */
import ErrorBoundary from '@docusaurus/ErrorBoundary';
import type { ReactNode } from 'react';
import styles from './pictures.module.css';

export function PictureBoundary(props: { what: string; children: ReactNode }): ReactNode {
  return (
    <ErrorBoundary
      fallback={({ error }) => (
        <p className={styles.problem} role="status" data-picture-failed>
          The {props.what} could not be drawn ({error.message}); the text beside it shows the same.
        </p>
      )}
    >
      {props.children}
    </ErrorBoundary>
  );
}
