import { EmptyState, LinkButton, Text } from '@grafana/ui';
import { CONFIG_PAGE_URL } from '../../constants';

/** What to do before anything can be shown: connect an agent. */
export function NoAgents() {
  return (
    <EmptyState
      variant="call-to-action"
      message="No Warden agent is connected yet"
      button={
        <LinkButton href={CONFIG_PAGE_URL} icon="cog">
          Add an agent
        </LinkButton>
      }
    >
      <Text element="p">
        Run <code>warden serve</code> next to your databases, then add its URL and API token in the app configuration
        (an organization admin can do this).
      </Text>
    </EmptyState>
  );
}
