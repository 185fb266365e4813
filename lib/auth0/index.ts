import 'server-only';

export { createManagementApi, type Auth0Logger, type ManagementApi, type ManagementApiOptions } from './management-client';
export {
  Auth0ApiError,
  isAuth0ApiError,
  passwordPolicyErrorName,
  PASSWORD_POLICY_ERROR_NAMES,
  type PasswordPolicyErrorName,
} from './api-error';
export {
  createManagementTokenProvider,
  managementAudience,
  TokenEndpointError,
  type ManagementTokenProvider,
  type ManagementTokenProviderOptions,
} from './management-token';
