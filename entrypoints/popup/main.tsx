// Wiring only: the popup itself is src/ui/popup.tsx.
import { render } from 'preact';
import { setPageLanguage } from '../../src/ui/page-language';
import { Popup } from '../../src/ui/popup';
import '../../src/ui/popup.css';

setPageLanguage(document);
const root = document.getElementById('app');
if (root) render(<Popup />, root);
