export { hasScope, useSession, useSignIn, useSignOut } from "./api/session";
export { SignInPage } from "./components/SignInPage";
