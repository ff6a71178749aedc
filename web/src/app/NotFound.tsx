import { Link } from "react-router";

export function NotFound() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <p>
        This page does not exist (yet). <Link to="/queue">Go to the queue</Link>.
      </p>
    </div>
  );
}
