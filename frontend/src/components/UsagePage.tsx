import { AlertBanners } from './AlertBanners';
import { BalanceCard } from './Balance';
import { CategoriesCard } from './Categories';
import { UsageHistoryCard } from './UsageHistory';
import { TopAgentsCard } from './TopAgents';
import { ControlsCard } from './ControlsCard';
import { FaqCard, HowCountedCard } from './HowCounted';

export function UsagePage() {
  return (
    <>
      <AlertBanners />
      <div class="grid">
        <BalanceCard />
        <CategoriesCard />
        <UsageHistoryCard />
        <TopAgentsCard />
        <HowCountedCard />
        <ControlsCard />
        <FaqCard />
      </div>
    </>
  );
}
