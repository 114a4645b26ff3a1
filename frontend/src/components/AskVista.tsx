import { UsageLinkDocument } from '../gql/graphql';
import { useQuery } from '../hooks';
import { useApp } from '../context';
import { linkClick } from '../router';
import { Modal } from './Modal';
import { ErrorBox, Loading } from './ui';
import { IconSpark } from './icons';

export function AskVista({ onClose }: { onClose: () => void }) {
  const { version } = useApp();
  const q = useQuery(UsageLinkDocument, undefined, version);
  const link = q.data?.usageLink;
  return (
    <Modal labelId="vista-title" title="Ask Vista" subtitle="Your assistant" onClose={onClose} variant="side">
      <div class="chat" data-testid="ask-vista">
        <p class="chat__bubble chat__bubble--user">How many AI credits do I have left?</p>
        <div class="chat__bubble chat__bubble--bot">
          <IconSpark class="chat__icon" />
          {!link && q.loading && <Loading label="Vista is looking that up" lines={2} />}
          {!link && !q.loading && <ErrorBox error={q.error} what="your usage summary" onRetry={q.refetch} />}
          {link && (
            <div>
              <p data-testid="vista-summary">{link.summary}</p>
              <p>
                See the details on{' '}
                <a href={link.url} class="chat__link" data-testid="vista-link" onClick={(e) => linkClick(e, link.url, onClose)}>
                  {link.title}
                </a>
                .
              </p>
            </div>
          )}
        </div>
      </div>
    </Modal>
  );
}
