// Wiring only: the page itself is src/ui/welcome.tsx.
import { render } from 'preact';
import { Welcome } from '../../src/ui/welcome';
import '../../src/ui/options.css';

const root = document.getElementById('app');
if (root) render(<Welcome />, root);
