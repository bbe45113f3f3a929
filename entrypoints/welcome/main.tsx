// Wiring only: the page itself is src/ui/welcome.tsx.
import { i18n } from '#i18n';
import { render } from 'preact';
import { setPageLanguage } from '../../src/ui/page-language';
import { Welcome } from '../../src/ui/welcome';
import '../../src/ui/options.css';

setPageLanguage(document, i18n.t('welcome.title'));
const root = document.getElementById('app');
if (root) render(<Welcome />, root);
