# A minimal Django project for typed-pickle's Django integration tests (test/integrations/django*.test.ts).
