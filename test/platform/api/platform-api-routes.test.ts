import { PROJECTS_API_ROUTES } from '../../../lambda/platform/projects-api/index';
import { platformStages } from '../../support/platform-stages';

/** CloudFormation JSON as a template holds it (untyped by nature). */
type Cfn = any;

/** `<METHOD> <path>` of every method of the staging API, with its resource path built from the PathPart chain. */
function declaredRoutes(): string[] {
  const resources = app.template('staging', 'Service').toJSON().Resources as Record<string, Cfn>;
  const pathOf = (parent: Cfn): string => {
    if (parent?.['Fn::GetAtt']?.[1] === 'RootResourceId') return '';
    const resource = resources[parent.Ref];
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::ApiGateway::Method')
    .map((m) => `${m.Properties.HttpMethod} ${pathOf({ Ref: m.Properties.ResourceId.Ref })}`)
    .sort();
}
const app = platformStages();

describe('The API and its handler', () => {
  it('declare the same business routes, so no route reaches the handler unrouted and none is left undeclared', () => {
    const business = declaredRoutes().filter((r) => r !== 'GET /health');
    expect(business).toEqual([...PROJECTS_API_ROUTES].sort());
  });
});
