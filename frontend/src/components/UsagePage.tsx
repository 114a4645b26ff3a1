import { BalanceCard } from './Balance';
import { CategoriesCard } from './Categories';
import { TopAgentsCard } from './TopAgents';
import { FaqCard, HowCountedCard } from './HowCounted';

export function UsagePage() {
  return (
    <div class="grid">
      <BalanceCard />
      <CategoriesCard />
      <TopAgentsCard />
      <HowCountedCard />
      <FaqCard />
    </div>
  );
}
