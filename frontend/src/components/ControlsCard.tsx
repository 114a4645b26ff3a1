import { Card } from './ui';
import { AlertRules } from './AlertRules';
import { CreditLimits } from './CreditLimits';
import { Webhook } from './Webhook';
import { AutoTopUp } from './AutoTopUp';

/** Spending controls: alert rules, monthly limits, the webhook and auto top-up. */
export function ControlsCard() {
  return (
    <Card
      id="controls-title"
      title="Limits & alerts"
      subtitle="Get warned early, cap what features and agents can spend, and top up automatically."
      class="card--controls"
    >
      <div class="controls">
        <AlertRules />
        <CreditLimits />
        <Webhook />
        <AutoTopUp />
      </div>
    </Card>
  );
}
