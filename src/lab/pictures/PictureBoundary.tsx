/**
 * A picture never takes its lab part down with it: whatever a diagram throws while it
 * renders is caught here and shown as one line, and the text beside the picture (the
 * chart as a list, the cluster's table) stays on the page. A class, because only a class
 * component can catch a render error in React; Docusaurus's own boundary is a site alias
 * that the unit tests (plain Node) cannot resolve.
 */
import { Component, type ReactNode } from 'react';
import styles from './pictures.module.css';

interface Props { what: string; children: ReactNode }

export class PictureBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: unknown): { error: Error } {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <p className={styles.problem} role="status" data-picture-failed>
        The {this.props.what} could not be drawn ({error.message}); the text beside it shows the same.
      </p>
    );
  }
}
