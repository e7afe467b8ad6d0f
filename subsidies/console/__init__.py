"""The officers' console: the whole payout job in a browser, in Chinese (issue #16).

``subsidies serve`` runs :func:`subsidies.console.app.create_app` under uvicorn. Pages are
rendered on the server (Jinja2, autoescaped) and call the same workflow functions as the
``subsidies`` command; htmx (``static/htmx.min.js``, htmx 2.0.11, 0BSD, served by the app
itself: intranets have no CDN) polls a running job's progress. No inline script: the
Content-Security-Policy allows scripts from the app alone.
"""
