export * from './telegram-passport';
export { type FileChange, type KeepFile, type TelegramValueInput } from './value-edit';
export { parseSecureValueErrors, errorsForValue, type ServiceError, type ServiceErrorTarget, type ValueServiceErrors } from './service-errors';
