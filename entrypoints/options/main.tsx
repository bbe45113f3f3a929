// Wiring only: the page itself is src/ui/options.tsx.
import { render } from 'preact';
import { Options } from '../../src/ui/options';
import '../../src/ui/options.css';

const root = document.getElementById('app');
if (root) render(<Options />, root);
