// Lambda runtime deprecation dates, as data (Lambda.2). Lambda deprecates a runtime on the date
// below: after it, the runtime gets no security patches. Keep the table current from the
// source; `LAMBDA_RUNTIMES_AS_OF` says when it was last compared.
//
// Source: AWS Lambda Developer Guide, "Lambda runtimes" (supported and deprecated runtimes,
// column "Deprecation date"), https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
// Dates as published there on 2026-06-02. Runtimes past their date stay in the table so that a
// template using one is reported with the date, not as unknown.

/** When the table below was last compared with the source. */
export const LAMBDA_RUNTIMES_AS_OF = '2026-06-02';
export const LAMBDA_RUNTIMES_SOURCE = 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html';

/** Runtime identifier → deprecation date (YYYY-MM-DD). */
export const LAMBDA_RUNTIME_DEPRECATIONS: Readonly<Record<string, string>> = {
  'nodejs24.x': '2028-04-30',
  'nodejs22.x': '2027-04-30',
  'nodejs20.x': '2026-04-30',
  'nodejs18.x': '2025-09-01',
  'nodejs16.x': '2024-06-12',
  'nodejs14.x': '2023-12-04',
  'nodejs12.x': '2023-03-31',
  'nodejs10.x': '2021-07-30',
  'nodejs8.10': '2020-03-06',
  'nodejs6.10': '2019-08-12',
  'nodejs4.3': '2020-03-05',
  'nodejs4.3-edge': '2020-03-05',
  nodejs: '2016-08-30',
  'python3.14': '2029-06-30',
  'python3.13': '2029-06-30',
  'python3.12': '2028-10-31',
  'python3.11': '2027-06-30',
  'python3.10': '2026-10-31',
  'python3.9': '2025-12-15',
  'python3.8': '2024-10-14',
  'python3.7': '2023-12-04',
  'python3.6': '2022-07-18',
  'python2.7': '2021-07-15',
  java25: '2029-06-30',
  java21: '2029-06-30',
  java17: '2027-06-30',
  java11: '2027-06-30',
  'java8.al2': '2027-06-30',
  java8: '2024-01-08',
  dotnet10: '2028-11-14',
  dotnet9: '2026-11-10',
  dotnet8: '2026-11-10',
  dotnet6: '2024-12-20',
  'dotnetcore3.1': '2023-04-03',
  'dotnetcore2.1': '2022-01-05',
  'dotnetcore2.0': '2019-05-30',
  'dotnetcore1.0': '2019-06-27',
  'ruby4.0': '2029-03-31',
  'ruby3.4': '2028-03-31',
  'ruby3.3': '2027-03-31',
  'ruby3.2': '2026-03-31',
  'ruby2.7': '2023-12-07',
  'ruby2.5': '2021-07-30',
  'provided.al2023': '2029-06-30',
  'provided.al2': '2026-07-31',
  provided: '2024-01-08',
  'go1.x': '2024-01-08',
};
