// Wiring only: the page itself is src/ui/options.tsx.
import { i18n } from '#i18n';
import { render } from 'preact';
import { Options } from '../../src/ui/options';
import { setPageLanguage } from '../../src/ui/page-language';
import '../../src/ui/options.css';

setPageLanguage(document, i18n.t('options.title'));
const root = document.getElementById('app');
if (root) render(<Options />, root);
