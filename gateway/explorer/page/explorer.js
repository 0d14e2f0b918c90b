/*
 * The explorer page: GraphiQL against this gateway's /graphql, and a persona selector that
 * fetches a development token (through the gateway, from the development issuer) and sends
 * it as the Authorization header. A header typed into GraphiQL's Headers tab wins.
 * Plain browser script, no build step: React, ReactDOM and GraphiQL are the globals of the
 * prebuilt files loaded before it.
 */
/* global document, fetch, Option, React, ReactDOM, GraphiQL */
(function () {
  'use strict';

  var DEFAULT_QUERY =
    '# Pick a persona above: its token is sent with every request.\n' +
    '{\n  children(first: 3) {\n    totalCount\n    edges { node { id name { displayName } } }\n  }\n}\n';

  var select = document.getElementById('persona');
  var status = document.getElementById('persona-status');
  var token = null;

  function say(text) {
    status.textContent = text;
  }

  function hasAuthorization(headers) {
    return Object.keys(headers || {}).some(function (name) {
      return name.toLowerCase() === 'authorization';
    });
  }

  var graphqlFetcher = GraphiQL.createFetcher({ url: '/graphql' });
  function fetcher(params, options) {
    var headers = Object.assign({}, options && options.headers);
    if (token && !hasAuthorization(headers)) headers.Authorization = 'Bearer ' + token;
    return graphqlFetcher(params, Object.assign({}, options, { headers: headers }));
  }

  /** Fetches the persona's token; resolves either way (the page says what happened). */
  function choose(name) {
    token = null;
    if (!name) {
      say('no persona: add an Authorization header in the Headers tab');
      return Promise.resolve();
    }
    say('fetching a token for ' + name + '…');
    return fetch('/explorer/personas/' + encodeURIComponent(name) + '/token', { method: 'POST' })
      .then(function (response) {
        if (!response.ok) throw new Error('status ' + response.status);
        return response.json();
      })
      .then(function (body) {
        token = body.token;
        say('signed in as ' + name);
      })
      .catch(function () {
        say('could not get a token for ' + name);
      });
  }

  /** Fills the selector and signs in as the first persona (the schema is fetched with it). */
  function listPersonas() {
    return fetch('/explorer/personas')
      .then(function (response) {
        if (!response.ok) throw new Error('status ' + response.status);
        return response.json();
      })
      .then(function (body) {
        select.textContent = '';
        select.appendChild(new Option('(none)', ''));
        body.personas.forEach(function (persona) {
          var option = new Option(persona.name, persona.name);
          option.title = persona.description;
          select.appendChild(option);
        });
        select.disabled = false;
        select.addEventListener('change', function () {
          choose(select.value);
        });
        select.value = body.personas.length > 0 ? body.personas[0].name : '';
        return choose(select.value);
      })
      .catch(function () {
        select.textContent = '';
        select.appendChild(new Option('(no development issuer)', ''));
        say('add an Authorization header in the Headers tab');
      });
  }

  function render() {
    var root = document.getElementById('graphiql');
    root.textContent = '';
    ReactDOM.createRoot(root).render(
      React.createElement(GraphiQL, {
        fetcher: fetcher,
        defaultQuery: DEFAULT_QUERY,
        // Tokens typed into the Headers tab stay in this page, not in the browser's storage.
        shouldPersistHeaders: false,
      }),
    );
  }

  // GraphiQL asks for the schema as it starts: with a persona's token, so it gets one.
  listPersonas().then(render);
})();
