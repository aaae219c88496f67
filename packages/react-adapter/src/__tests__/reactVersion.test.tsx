import { render, screen } from '@testing-library/react';
import { type ReactElement, useState, version } from 'react';
import { version as domVersion } from 'react-dom';
import { version as serverVersion } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { expectedReactMajor, majorOf } from './support/reactMajor.js';

function Version(): ReactElement {
  const [label] = useState(() => `rendered by React ${version}`);
  return <p>{label}</p>;
}

describe('the React under test', () => {
  it('is the major this Vitest project is for: react, react-dom, react-dom/server and Testing Library agree', () => {
    const major = expectedReactMajor();
    expect(majorOf(version)).toBe(major);
    expect(majorOf(domVersion)).toBe(major);
    expect(majorOf(serverVersion)).toBe(major);
    // Hooks throw when the renderer Testing Library loaded is not paired with this React.
    render(<Version />);
    expect(screen.getByText(`rendered by React ${version}`)).toBeTruthy();
  });
});
